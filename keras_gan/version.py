"""The package version, read by setup.py and exposed as keras_gan.__version__."""

__version__ = "0.25.2"
