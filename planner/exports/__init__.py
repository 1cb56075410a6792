"""Files written from a Plan: CSV of stops, spreadsheets, calendars (no Flask here)."""
