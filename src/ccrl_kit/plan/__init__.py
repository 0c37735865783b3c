"""Stage 4, plan: a resolved course -> final plans (the deck, the printed documents)."""
