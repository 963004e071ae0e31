"""Flask-WTF forms for accounts and starting an assessment (the questionnaire itself is built from the KB)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange

from tipkb.accounts import MIN_PASSWORD, ROLES
from tipkb.teams import INVITATION_HOURS


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class RegisterForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=320)])
    organisation = StringField(_l("Organisation"), validators=[DataRequired(), Length(max=300)],
                               description=_l("The NGO you answer for. Its assessments are visible only to its "
                                              "members."))
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=MIN_PASSWORD)],
                             description=_l("At least %(n)s characters, not a common password, not your email.",
                                             n=MIN_PASSWORD))
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD)],
                             description=_l("At least %(n)s characters, not a common password, not your email.",
                                             n=MIN_PASSWORD))
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])


class StartForm(FlaskForm):
    country = SelectField(_l("Country"), validators=[DataRequired()])
    year = IntegerField(_l("Year assessed"), validators=[DataRequired(), NumberRange(min=2000, max=2100)],
                        default=lambda: date.today().year)
    title = StringField(_l("Title (optional)"), validators=[Length(max=120)],
                        description=_l("Tells this assessment apart from others of the same country and year, "
                                       "e.g. “Shelter survey”."))


ROLE_NAMES = {"ngo": _l("NGO user"), "expert": _l("Expert"), "admin": _l("Administrator")}


class NewUserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=320)])
    organisation = StringField(_l("Organisation"), validators=[Length(max=300)],
                               description=_l("Required for NGO users; an existing name adds the user to it."))
    role = SelectField(_l("Role"), choices=[SelectChoice(r, ROLE_NAMES[r]) for r in ROLES], default="ngo")


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[SelectChoice(r, ROLE_NAMES[r]) for r in ROLES])


class ForgotForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=320)],
                       description=_l("The address you sign in with."))


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD)],
                             description=_l("At least %(n)s characters, not a common password, not your email.",
                                             n=MIN_PASSWORD))
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])


class JoinForm(NewPasswordForm):
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=MIN_PASSWORD)],
                             description=_l("At least %(n)s characters, not a common password, not your email.",
                                             n=MIN_PASSWORD))
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])


class InviteForm(FlaskForm):
    email = EmailField(_l("Colleague's email"), validators=[DataRequired(), Length(max=320)],
                       description=_l("The invitation link works once, for this address, for %(n)s hours.",
                                      n=INVITATION_HOURS))
