"""The French wording an agent reads to the patient before recording each decision (own text, from the FAQ)."""

FEEDING_INFORMATION = (
    "Les documents produits lors de votre prise en charge dans notre établissement (comptes rendus, "
    "résultats, lettres de sortie) seront versés dans votre Dossier Médical Partagé, accessible dans "
    "Mon espace santé. Nous vous en informons une seule fois au cours de votre suivi. Vous pouvez vous "
    "opposer à cet envoi pour un motif légitime : dites-le nous, votre opposition sera enregistrée et "
    "vous pourrez la retirer quand vous le souhaiterez."
)

CONSULTATION = (
    "Les professionnels qui participent directement à votre prise en charge dans notre établissement "
    "forment votre équipe de soins. Ils peuvent consulter votre Dossier Médical Partagé pendant cette "
    "prise en charge, uniquement lorsque c'est utile à vos soins ; nous vous en informons à chaque "
    "nouvelle étape de votre parcours. Un professionnel extérieur à cette équipe ne pourra consulter "
    "votre dossier qu'avec votre accord exprès, recueilli pour cet épisode de soins. Vous pouvez refuser, "
    "et retirer votre accord à tout moment. Chaque consultation vous est notifiée dans Mon espace santé."
)

REPRESENTATIVES = (
    "Pour un patient mineur, l'accord est donné par son représentant légal, et le mineur est associé à la "
    "décision. Pour un majeur protégé, le tuteur ou le curateur décide après avoir consulté la personne. "
    "Nous enregistrons le nom et la qualité de la personne qui répond."
)

OPPOSITIONS = (
    "Si un jour vous n'êtes plus en état d'exprimer votre volonté, un professionnel pourra consulter votre "
    "Dossier Médical Partagé en urgence : soit en cas de risque immédiat pour votre santé, soit à la "
    "demande du SAMU (Centre 15). Vous pouvez vous opposer dès maintenant à l'un ou à l'autre de ces accès "
    "en urgence, ainsi qu'à l'alimentation de votre dossier. Chaque opposition est datée et vous pouvez "
    "la retirer à tout moment."
)

EMERGENCY = (
    "L'accès en urgence n'est permis que si le patient est hors d'état d'exprimer sa volonté et ne s'y est "
    "pas opposé auparavant. Choisissez le mode « Régulation SAMU/Centre 15 » ou « Risque immédiat pour la "
    "santé du patient » et rédigez une justification : elle est obligatoire et conservée. L'accès est "
    "tracé et le patient en est informé."
)
