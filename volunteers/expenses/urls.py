"""Pages of volunteer expenses (mounted under /expenses/)."""

from django.urls import path

from volunteers.expenses.views import claiming, paying

app_name = "expenses"

urlpatterns = [
    # The volunteer's: her claims, a new one, changing one that was queried.
    path("mine/", claiming.expenses_mine, name="mine"),
    path("new/", claiming.claim_new, name="claim-new"),
    path("<int:pk>/", claiming.claim_detail, name="claim-detail"),
    path("<int:pk>/edit/", claiming.claim_edit, name="claim-edit"),
    path("<int:pk>/receipt/", claiming.claim_receipt, name="claim-receipt"),
    # Coordinators and managers: deciding, batching, paying.
    path("", paying.expense_list, name="list"),
    path("<int:pk>/approve/", paying.claim_decide, {"decision": "approve"}, name="claim-approve"),
    path("<int:pk>/query/", paying.claim_decide, {"decision": "query"}, name="claim-query"),
    path("<int:pk>/reject/", paying.claim_decide, {"decision": "reject"}, name="claim-reject"),
    path("batches/new/", paying.batch_new, name="batch-new"),
    path("batches/<int:pk>/", paying.batch_detail, name="batch-detail"),
    path("batches/<int:pk>/payments.csv", paying.batch_csv, name="batch-csv"),
    path("batches/<int:pk>/paid/", paying.batch_paid, name="batch-paid"),
    # The manager's rate, receipt rule and categories.
    path("settings/", paying.expense_settings, name="settings"),
]
