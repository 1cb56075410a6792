"""Reading what people supply: the shipped dataset and user files (CSV/XLSX) into domain objects,
every bad cell reported as a Problem."""
