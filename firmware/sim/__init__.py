"""The simulated world beyond the box's ports: a virtual exchange and simulated phones.

Only used with the `sim` backend. It talks to the box through SimBus ends exactly as
real equipment talks through copper, so nothing in the box knows it is simulated.
"""
