"""Analog extensions: the terminal adapter behind each FXS port."""
