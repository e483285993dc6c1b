"""The dashboard's charts as inline SVG drawn on the server (no script, nothing fetched)."""
