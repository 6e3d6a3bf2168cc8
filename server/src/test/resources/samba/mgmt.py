# Samba's RPC over HTTP client (python3-samba) calling MGMT inq_if_ids twice (the second proves the
# sequence numbers and RC4 streams of both directions stayed in step).
# usage: mgmt.py DOMAIN USER PASSWORD BINDING  (the password comes from the environment variable PASSWORD if "-")
import os
import sys

from samba import credentials, param
from samba.dcerpc import mgmt

domain, user, password, binding = sys.argv[1:5]
if password == "-":
    password = os.environ["PASSWORD"]
lp = param.LoadParm()
lp.set("tls verify peer", "no_check")  # the test's self-signed certificate, as a new user would try first
creds = credentials.Credentials()
creds.guess(lp)
creds.set_domain(domain)
creds.set_username(user)
creds.set_password(password)
conn = mgmt.mgmt(binding, lp, creds)
print("interfaces", conn.inq_if_ids().count)
print("again", conn.inq_if_ids().count)
