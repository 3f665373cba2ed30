{#- One Topic per distinct tag value (tag strategy `topics`). Topics have no Stames_Id__c: the
    loader matches an existing Topic by Name. -#}
select distinct tag_value as Name
from {{ ref('int_tag_topics') }}
