from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.avatars import colour_for, initials


class KindredUserManager(UserManager):
    """Users are known by email; there is no username."""

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class Role(models.TextChoices):
    """How a member describes their place in the community, if they wish."""

    LIVING_WITH_ALS = "als", _("Living with ALS")
    CAREGIVER = "caregiver", _("Caregiver")
    FAMILY = "family", _("Family or friend")
    CLINICIAN = "clinician", _("Clinician")
    RESEARCHER = "researcher", _("Researcher")


class User(AbstractUser):
    Role = Role

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        help_text=_("Shown beside everything you write. Your email is never shown."),
    )
    bio = models.TextField(_("about"), blank=True, max_length=2000)
    role = models.CharField(
        _("role"),
        max_length=12,
        choices=Role.choices,
        blank=True,
        help_text=_("Optional: shown beside your name."),
    )
    # Always a JPEG that accounts.avatars drew from the upload, never the upload.
    avatar = models.ImageField(_("picture"), upload_to="avatars/", blank=True)

    objects = KindredUserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or _("Member %(id)s") % {"id": self.pk}

    def get_absolute_url(self):
        return reverse("accounts:member", args=[self.pk])

    @property
    def avatar_url(self):
        """The uploaded picture, or the member's initials on a coloured disc."""
        if self.avatar:
            return self.avatar.url
        return reverse(
            "accounts:initials",
            args=[initials(self.display_name), colour_for(self.pk)],
        )

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name
