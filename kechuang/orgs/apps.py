from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "kechuang.orgs"
    label = "orgs"
    verbose_name = "机构与企业"
