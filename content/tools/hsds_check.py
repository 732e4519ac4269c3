#!/usr/bin/env python3
# hsds_check.py EXPORT_DIR SPEC_DIR: checks a `waymark bundle export-hsds`
# folder against Open Referral's HSDS 3.0 specification files (a checkout of
# its repository, branch 3.0, which this tree does not carry): every service
# of services.json against schema/compiled/service.json (Debian's
# python3-jsonschema, formats checked), and every CSV file's columns, order
# and values against the types of the specification's datapackage.json.
# Exit status 1 when anything differs.
import json, sys, csv, jsonschema
from jsonschema import Draft202012Validator, FormatChecker
spec = sys.argv[2]
d = json.load(open(sys.argv[1] + '/services.json'))
schema = json.load(open(spec + '/schema/compiled/service.json'))
v = Draft202012Validator(schema, format_checker=FormatChecker())
errs = 0
for s in d['contents']:
    for e in v.iter_errors(s):
        errs += 1; print('JSON', s['id'], list(e.path), e.message[:200])
print('json services', len(d['contents']), 'errors', errs)
dp = json.load(open(spec + '/datapackage.json'))
res = {r['path']: r for r in dp['resources']}
import os
bad = 0
for f in sorted(os.listdir(sys.argv[1])):
    if not f.endswith('.csv'): continue
    r = res.get(f)
    if not r: print('TAB unknown file', f); bad += 1; continue
    want = [x['name'] for x in r['schema']['fields']]
    types = {x['name']: (x['type'], x.get('format')) for x in r['schema']['fields']}
    rows = list(csv.reader(open(sys.argv[1] + '/' + f, newline='', encoding='utf-8')))
    if rows[0] != want: print('TAB columns differ', f, rows[0], want); bad += 1
    import re, uuid, datetime
    for row in rows[1:]:
        for name, val in zip(rows[0], row):
            if val == '': continue
            t, fm = types[name]
            try:
                if t == 'number': float(val)
                elif t == 'date': datetime.date.fromisoformat(val)
                elif t == 'time': datetime.time.fromisoformat(val)
                elif fm == 'uuid': uuid.UUID(val)
            except Exception as ex:
                print('TAB type', f, name, val, ex); bad += 1
print('tabular files', len([f for f in os.listdir(sys.argv[1]) if f.endswith('.csv')]), 'problems', bad)
sys.exit(1 if errs or bad else 0)
