from django.contrib import admin
from django.urls import path

admin.site.site_header = "Référentiel d'identités patient"
admin.site.site_title = "Référentiel d'identités"
admin.site.index_title = "Identitovigilance"

urlpatterns = [
    path("admin/", admin.site.urls),
]
