"""Application settings, read from the environment."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    """Service configuration."""

    database_url: str = Field(default="postgresql://localhost/app", description="Database DSN.")
    api_token: str = Field(default="", description="Token for the upstream identity API.")
    page_size: int = 50

    class Config:
        env_prefix = "APP_"


settings = Settings()
