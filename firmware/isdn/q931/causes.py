"""Code points carried inside IEs: cause values and locations (ITU-T Q.850), progress
descriptions (Q.931 4.5.23). Named as the standards name them, so a log line such as
`cause=USER_BUSY` can be checked against the tables.
"""

from enum import IntEnum


class CauseValue(IntEnum):
    """Q.850 table 1, coding standard 00 (ITU-T); grouped by Q.850 cause class."""

    # normal event (class 000 and 001)
    UNALLOCATED_NUMBER = 1
    NO_ROUTE_TO_TRANSIT_NETWORK = 2
    NO_ROUTE_TO_DESTINATION = 3
    SEND_SPECIAL_INFORMATION_TONE = 4
    MISDIALLED_TRUNK_PREFIX = 5
    CHANNEL_UNACCEPTABLE = 6
    CALL_AWARDED_IN_ESTABLISHED_CHANNEL = 7
    PREEMPTION = 8
    PREEMPTION_CIRCUIT_RESERVED = 9
    NORMAL_CALL_CLEARING = 16
    USER_BUSY = 17
    NO_USER_RESPONDING = 18
    NO_ANSWER = 19                      # no answer from user (user alerted)
    SUBSCRIBER_ABSENT = 20
    CALL_REJECTED = 21
    NUMBER_CHANGED = 22
    NON_SELECTED_USER_CLEARING = 26
    DESTINATION_OUT_OF_ORDER = 27
    INVALID_NUMBER_FORMAT = 28          # address incomplete
    FACILITY_REJECTED = 29
    RESPONSE_TO_STATUS_ENQUIRY = 30
    NORMAL_UNSPECIFIED = 31
    # resource unavailable (class 010)
    NO_CIRCUIT_AVAILABLE = 34
    NETWORK_OUT_OF_ORDER = 38
    TEMPORARY_FAILURE = 41
    SWITCHING_EQUIPMENT_CONGESTION = 42
    ACCESS_INFORMATION_DISCARDED = 43
    REQUESTED_CHANNEL_NOT_AVAILABLE = 44
    RESOURCE_UNAVAILABLE = 47
    # service or option not available (class 011)
    QUALITY_OF_SERVICE_NOT_AVAILABLE = 49
    REQUESTED_FACILITY_NOT_SUBSCRIBED = 50
    OUTGOING_CALLS_BARRED = 52
    INCOMING_CALLS_BARRED = 54
    BEARER_CAPABILITY_NOT_AUTHORIZED = 57
    BEARER_CAPABILITY_NOT_AVAILABLE = 58
    SERVICE_NOT_AVAILABLE = 63
    # service or option not implemented (class 100)
    BEARER_CAPABILITY_NOT_IMPLEMENTED = 65
    CHANNEL_TYPE_NOT_IMPLEMENTED = 66
    REQUESTED_FACILITY_NOT_IMPLEMENTED = 69
    ONLY_RESTRICTED_DIGITAL_AVAILABLE = 70
    SERVICE_NOT_IMPLEMENTED = 79
    # invalid message (class 101)
    INVALID_CALL_REFERENCE = 81
    CHANNEL_DOES_NOT_EXIST = 82
    SUSPENDED_CALL_EXISTS_BUT_NOT_THIS_IDENTITY = 83
    CALL_IDENTITY_IN_USE = 84
    NO_CALL_SUSPENDED = 85
    CALL_IDENTITY_CLEARED = 86
    INCOMPATIBLE_DESTINATION = 88
    INVALID_TRANSIT_NETWORK = 91
    INVALID_MESSAGE = 95
    # protocol error (class 110)
    MANDATORY_IE_MISSING = 96
    MESSAGE_TYPE_NONEXISTENT = 97
    # Q.850 98: "message not compatible with call state or message type non-existent
    # or not implemented"
    MESSAGE_NOT_COMPATIBLE_WITH_CALL_STATE = 98
    IE_NONEXISTENT = 99
    INVALID_IE_CONTENTS = 100
    # Q.850 101: "message not compatible with call state"
    WRONG_MESSAGE_FOR_STATE = 101
    RECOVERY_ON_TIMER_EXPIRY = 102
    PARAMETER_NONEXISTENT_PASSED_ON = 103
    MESSAGE_WITH_UNRECOGNIZED_PARAMETER_DISCARDED = 110
    PROTOCOL_ERROR = 111
    # interworking (class 111)
    INTERWORKING = 127


class Location(IntEnum):
    """Q.850 2.2.5, the location field of the Cause and Progress indicator IEs."""

    USER = 0
    PRIVATE_NETWORK_LOCAL_USER = 1
    PUBLIC_NETWORK_LOCAL_USER = 2
    TRANSIT_NETWORK = 3
    PUBLIC_NETWORK_REMOTE_USER = 4
    PRIVATE_NETWORK_REMOTE_USER = 5
    INTERNATIONAL_NETWORK = 7
    BEYOND_INTERWORKING = 10


class ProgressDescription(IntEnum):
    """Q.931 4.5.23 progress description, octet 4 of the Progress indicator IE."""

    NOT_END_TO_END_ISDN = 1
    DESTINATION_NOT_ISDN = 2
    ORIGINATION_NOT_ISDN = 3
    RETURNED_TO_ISDN = 4
    INTERWORKING = 5
    INBAND_INFO_AVAILABLE = 8
