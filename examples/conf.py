"""Where ZhuSuan's examples keep their data: `data/` of this checkout."""
import os

data_dir = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "data")
