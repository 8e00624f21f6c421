def test_submit_fixture_routes_noise_to_the_street_office(submit, units, people):
    complaint = submit()
    assert complaint.status == "assigned"
    assert complaint.assignments.get().unit == units["donghuamen"]
