from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "kechuang.bulletins"
    label = "bulletins"
    verbose_name = "工作简报"
