"""Activity agreements, in the order of their life.

``reading`` (documents and lists), ``drafting`` (a draft's terms), ``life``
(circulate, sign, amend, terminate), ``proof`` (verify), ``diff`` (versions
compared). The rules they enforce live in ``coordkit.domain.agreements``.
"""
