"""libpri (Asterisk's ISDN library) as the real peer that judges our ISDN stack."""
