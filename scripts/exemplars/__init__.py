"""典型示范故事库 (exemplars): a git-native library of exemplary and cautionary stories of mass work."""

__version__ = "0.1.0"
