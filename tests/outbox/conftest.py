from tests.exchange.conftest import hoa_hoi_data  # noqa: F401  (the imports' plan)
