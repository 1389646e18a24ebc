"""What the scene entry points (scenes/bce.py, scenes/chapter.py) and the bce-video command
share: the film's options (``options``), what is bad input (``bad_input``), the Scene
class the film renders with and its encoder (``scene``, ``encoding``). Both sides import
this package; it imports ``scenes`` and ``bce_core``, never ``bce_video``."""
