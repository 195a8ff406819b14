"""The compact PBX: numbering and barring, dial plan, CDRs, calls and features."""
