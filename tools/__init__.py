"""Developer tools: generators of realistic inputs for tests and benchmarks (not used by the app)."""
