"""HR6xx: data access with SQLAlchemy 2.0, and the store / service / router layering."""
