"""HR5xx: FastAPI routes, routers and websockets."""
