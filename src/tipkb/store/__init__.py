"""The knowledge base in memory: loading, the store backends, packaged queries and the public SPARQL endpoint."""
