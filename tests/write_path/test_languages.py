"""The write path's refusals are said in the person's language."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from sixclear.tracking import services
from tests.factories import TargetFactory


@pytest.mark.parametrize("language, words", [
    ("vi", "Không tìm thấy"), ("ar", "غير موجود"), ("en", "Not found")])
def test_a_forbidden_reference_is_refused_in_the_persons_language(world, language, words):
    foreign = TargetFactory(unit=world.viet_hung)
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            services.create_task(actor=world.hh_manager, unit=world.hoa_hoi, title="Nhiệm vụ",
                                 targets=[foreign])
        assert words in refused.value.message_dict["targets"][0]
        assert foreign.code not in str(refused.value)
