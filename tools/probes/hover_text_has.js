// True when graph `id`'s hover label contains `text`.
([id, text]) => probe("hover_text")(id).includes(text)
