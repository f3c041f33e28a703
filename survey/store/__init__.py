"""Storage floor: every table (SQLModel) and every query; the only part of the service that speaks SQL."""
