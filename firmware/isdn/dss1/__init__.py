"""DSS1 call control (ITU-T Q.931 as profiled by ETSI EN 300 403), user and network side."""
