from sixclear.demo.builder import build_demo
from sixclear.portal import selectors
from sixclear.portal.models import Publication


def test_the_demo_publishes_viet_hung_and_a_hoa_hoi_result_once(db):
    build_demo()
    count = Publication.objects.count()
    build_demo()
    assert Publication.objects.count() == count
    codes = set(selectors.published_targets().values_list("unit__code", flat=True))
    assert codes == {"HN-VH", "GL-HH"}
    assert selectors.published_resolutions().filter(unit__code="HN-VH").exists()
    assert selectors.published_tasks().filter(unit__code="HN-VH").count() >= 3
    assert selectors.approved_measurements().filter(target__unit__code="GL-HH").exists()
