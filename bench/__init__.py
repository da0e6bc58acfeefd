"""The performance benchmark (`make bench`, `python -m bench`): the function and a bare
functions-framework function, each in its own process, driven over HTTP. See docs/performance.md."""
