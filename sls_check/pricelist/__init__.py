"""The price-list importer: `slscheck prices update` reads the AWS Price List Bulk API.

download.py fetches (urllib only), offers.py streams offer files (JSON or CSV), mapping.py
turns products into price dimensions through pricing/pricelist/map.yaml, write.py writes price
tables atomically, update.py runs the whole. Nothing here is imported by `validate` or `cost`.
"""
