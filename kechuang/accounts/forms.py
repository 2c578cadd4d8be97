"""The sign-in form, styled for the page shell."""

from django.contrib.auth.forms import AuthenticationForm

from kechuang.core.views import style_form


class LoginForm(AuthenticationForm):
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update({"placeholder": "用户名"})
        self.fields["password"].widget.attrs.update({"placeholder": "密码"})
        style_form(self)
