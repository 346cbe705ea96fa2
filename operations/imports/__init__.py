"""Importing records from spreadsheets and other systems' exports (issue 25).

The top layer: it may import referrals, volunteers and groups. ``cells`` reads
one cell, ``kinds`` says what a row of each kind means, ``reading`` turns a file
into rows, ``services`` checks and applies a batch.
"""
