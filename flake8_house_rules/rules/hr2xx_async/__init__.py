"""HR2xx: async code, HTTP clients and in-process caches."""
