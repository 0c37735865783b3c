"""Stage 3, resolve: (course, audience, language, budget) -> one resolved course."""
