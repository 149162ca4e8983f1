"""Source kinds: spreadsheets and CSV files, REST/JSON platforms, SQL databases."""
