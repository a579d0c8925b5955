"""Django admin for the catalogue: read-only browsing of loaded models (versions are immutable) and
uploading a catalogue file, which a worker validates and loads."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from assessment.models import AuditEntry, CatalogImport, Criterion, MaturityModel, Part, SubItem
from assessment.services.catalog import request_catalog_import


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MaturityModel)
class MaturityModelAdmin(ReadOnlyAdmin):
    list_display = ["key", "version", "name_zh", "name_en", "rollup", "loaded_at"]
    search_fields = ["key", "name_zh", "name_en"]


@admin.register(Part)
class PartAdmin(ReadOnlyAdmin):
    list_display = ["code", "number", "name_zh", "name_en", "status", "model"]
    list_filter = ["model", "status"]


@admin.register(SubItem)
class SubItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_zh", "name_en", "model"]
    list_filter = ["model"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ["code", "level", "text_zh", "is_inferred"]
    list_filter = ["model", "level", "is_inferred"]
    search_fields = ["code", "text_zh", "text_en"]


class CatalogUploadForm(forms.ModelForm):
    upload = forms.FileField(label=_("Catalogue file (YAML)"))

    class Meta:
        model = CatalogImport
        fields = []

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload.size > settings.CATALOG_MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s bytes.") % {"limit": f"{settings.CATALOG_MAX_FILE_BYTES:,}"}
            )
        return upload


@admin.register(CatalogImport)
class CatalogImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "status", "model", "created_by", "created_at", "finished_at"]
    readonly_fields = ["file_name", "status", "model", "problems", "created_by", "created_at", "finished_at"]
    form = CatalogUploadForm

    def has_change_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        return ["upload"] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["upload"]
        saved = request_catalog_import(file_name=upload.name, content=upload.read(), user=request.user)
        # The admin goes on to log and redirect with this object, so give it the saved row's identity.
        obj.pk, obj.file_name, obj.status = saved.pk, saved.file_name, saved.status


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit trail can be read here, never changed: no add, change or delete (and the model refuses too)."""

    list_display = ["created_at", "organisation", "assessment", "actor", "action", "target"]
    list_filter = ["organisation"]
    search_fields = ["action", "target"]
