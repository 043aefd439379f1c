"""Load scenario for the EVN conduct portal (issue 17): customers, inspectors and leadership
on a seeded instance. Run it through `load/run`, which seeds the instance, starts the release
binary and passes the demo accounts in the environment:

    LOAD_INSPECTORS, LOAD_LEADERS  comma-separated e-mail addresses of demo inspectors and team
                                   leads, and of leadership accounts (two-factor is off on the
                                   load instance); each simulated staff member takes the next
    LOAD_PASSWORD                  the demo password
    LOAD_RECEIPTS                  comma-separated receipt codes printed by seed-demo

Each simulated user sends its own client address in `X-Forwarded-For` (the load instance trusts
127.0.0.1 as its proxy), as customers and staff behind a reverse proxy arrive from their own
addresses: the per-address throttles then see one person each, not 200 people at one address.

Every request is named by its page (not its URL), so locust's table has one row per page.
A response that is not what a browser would accept (wrong status, missing form token, an
error page) is counted as a failure.
"""
import os
import random
import re

from itertools import count

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
OPTION = re.compile(r'<option value="(\d+)"')
CASE = re.compile(r'href="/cases/(\d+)"')
WORDS = ["hóa đơn", "công tơ", "tiền điện", "thái độ", "cắt điện", "bồi dưỡng", "chậm"]


USERS = count(1)


def own_address(user):
    """Gives the simulated user an address of its own (10.x.y.z, one per user)."""
    n = next(USERS)
    user.client.headers["X-Forwarded-For"] = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
    return n


def csrf_of(response):
    match = CSRF.search(response.text)
    if not match:
        response.failure("no form token on the page")
        return None
    return match.group(1)


class Customer(HttpUser):
    """Opens the home page and the form, sends a tip, follows up a case with its receipt."""

    weight = 6
    wait_time = between(1, 4)

    def on_start(self):
        own_address(self)

    @task(4)
    def home(self):
        self.client.get("/", name="home")

    @task(4)
    def report_form(self):
        with self.client.get("/report", name="report form", catch_response=True) as page:
            csrf_of(page)

    @task(1)
    def submit_report(self):
        with self.client.get("/report", name="report form", catch_response=True) as page:
            token = csrf_of(page)
            units, _, rest = page.text.partition('name="category_id"')
            units, categories = OPTION.findall(units), OPTION.findall(rest)
        if not token or not units or not categories:
            return
        fields = {
            "csrf_token": token,
            "identity": "anonymous",
            "unit_id": random.choice(units),
            "category_id": random.choice(categories),
            "occurred_on": "01/12/2026",
            "description": "Nhân viên ghi chỉ số công tơ đòi thêm tiền khi thay công tơ "
            f"tại nhà số {random.randint(1, 999)}.",
        }
        files = {k: (None, v) for k, v in fields.items()}
        with self.client.post(
            "/report", files=files, name="submit report", catch_response=True,
            allow_redirects=True,
        ) as sent:
            if sent.status_code != 200 or "/report/receipt" not in sent.url:
                sent.failure(f"no receipt: {sent.status_code} {sent.url}")

    @task(2)
    def follow_up(self):
        receipts = [r for r in os.environ.get("LOAD_RECEIPTS", "").split(",") if r]
        with self.client.get("/follow-up", name="follow-up", catch_response=True) as page:
            token = csrf_of(page)
        if not token or not receipts:
            return
        with self.client.post(
            "/follow-up",
            data={"csrf_token": token, "receipt": random.choice(receipts)},
            name="follow-up check-in", catch_response=True,
        ) as status:
            if status.status_code != 200 or "/follow-up/status" not in status.url:
                status.failure(f"not opened: {status.status_code} {status.url}")


class StaffUser(HttpUser):
    abstract = True
    email_variable = ""

    def on_start(self):
        n = own_address(self)
        accounts = os.environ[self.email_variable].split(",")
        page = self.client.get("/staff/sign-in", name="sign-in form")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            "/staff/sign-in",
            data={
                "csrf_token": token,
                "email": accounts[n % len(accounts)],
                "password": os.environ["LOAD_PASSWORD"],
            },
            name="sign in", catch_response=True,
        ) as signed:
            if not signed.url.rstrip("/").endswith("/staff"):
                signed.failure(f"not signed in: {signed.status_code} {signed.url}")


class Inspector(StaffUser):
    """The inbox, a search with the overdue filter, a case page, a note on the case."""

    weight = 3
    wait_time = between(1, 3)
    email_variable = "LOAD_INSPECTORS"
    cases = []

    @task(4)
    def inbox(self):
        page = self.client.get("/cases", name="inbox")
        found = CASE.findall(page.text)
        if found:
            self.cases = found

    @task(2)
    def search(self):
        self.client.get(
            "/cases", params={"q": random.choice(WORDS), "deadline": "overdue"},
            name="inbox search (overdue)",
        )

    @task(3)
    def case_page(self):
        if self.cases:
            self.client.get(f"/cases/{random.choice(self.cases)}", name="case page")

    @task(1)
    def note(self):
        if not self.cases:
            return
        case = random.choice(self.cases)
        with self.client.get(f"/cases/{case}", name="case page", catch_response=True) as page:
            token = csrf_of(page)
        if token:
            self.client.post(
                f"/cases/{case}/messages",
                data={"csrf_token": token, "body": "Đã liên hệ đơn vị để xác minh.",
                      "internal": "true"},
                name="case note",
            )


class Leadership(StaffUser):
    """The dashboard, a unit's drill-down, the XLSX export."""

    weight = 1
    wait_time = between(2, 5)
    email_variable = "LOAD_LEADERS"

    @task(4)
    def dashboard(self):
        self.client.get("/dashboard", name="dashboard")

    @task(1)
    def export(self):
        with self.client.get(
            "/dashboard/export", params={"table": "units", "format": "xlsx"}, name="dashboard export",
            catch_response=True,
        ) as sheet:
            if not sheet.content.startswith(b"PK"):
                sheet.failure("not an XLSX file")
