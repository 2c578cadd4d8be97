from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)

# Serve static files straight from the apps' folders (no collectstatic needed to try it).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
