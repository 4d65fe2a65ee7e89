"""Loading purchases and store entities: readers fill staging tables, one commit."""
