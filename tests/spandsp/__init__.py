"""spandsp (Debian libspandsp-dev) as the reference the DSP benchmarks compare with."""
