"""Domain vocabulary shared by every package: enums, DTOs and change sets."""
