// replaced by the HTTP server and client sources
