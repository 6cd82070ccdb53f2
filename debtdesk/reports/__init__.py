"""Excel workbooks built with openpyxl from services' plain data."""
