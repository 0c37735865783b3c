"""Stage 5, render: a plan -> bytes, one renderer per format. Renderers only draw."""
