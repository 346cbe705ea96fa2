"""Pages of the referrals app (mounted at /referrals/)."""

app_name = "referrals"
urlpatterns: list = []
