"""The web layer: thin routers that parse a request, call one service or query, render one template."""
