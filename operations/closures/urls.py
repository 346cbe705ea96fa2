from django.urls import path

from operations.closures import views

app_name = "closures"
urlpatterns = [
    path("", views.closure_list, name="list"),
    path("<int:pk>/", views.closure_detail, name="detail"),
    path("<int:pk>/decide/", views.closure_decide, name="decide"),
    path("<int:pk>/complete/", views.closure_complete, name="complete"),
    path("<int:pk>/report/", views.closure_report, name="report"),
    path("<int:pk>/report.csv", views.closure_report_csv, name="report-csv"),
]
