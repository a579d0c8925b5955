"""The only way views and the API get objects: one function per object kind.

Outsiders get 404 (existence does not leak); members without the right role get 403. HTML and API share them.
"""

from django.http import Http404

from assessment.models import MaturityModel


def access_maturity_model(user, *, key: str, version: str) -> MaturityModel:
    """A maturity model version readable by this user. The built-in models are public reading."""
    model = MaturityModel.objects.filter(key=key, version=version).first()
    if model is None:
        raise Http404("No such maturity model version.")
    return model


def visible_maturity_models(user):
    """The models this user may read (all built-in models; organisations' own arrive with tenancy)."""
    return MaturityModel.objects.all()
